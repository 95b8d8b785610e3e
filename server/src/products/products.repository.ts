import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKeyError } from '../common/duplicate-key';
import { paginate } from '../common/paginate';
import { escapeRegex } from '../common/regex';
import { Product, ProductDocument } from './schemas/product.schema';

export interface ProductSearch {
  page: number;
  limit: number;
  search?: string;
}

@Injectable()
export class ProductsRepository {
  constructor(@InjectModel(Product.name) private readonly model: Model<Product>) {}

  async listActive({
    page,
    limit,
    search,
  }: ProductSearch): Promise<{ items: ProductDocument[]; total: number }> {
    const filter = {
      active: true,
      ...(search ? { name: { $regex: escapeRegex(search), $options: 'i' } } : {}),
    };
    return paginate(this.model, filter, { createdAt: 1, _id: 1 }, page, limit);
  }

  findById(id: string | Types.ObjectId): Promise<ProductDocument | null> {
    return this.model.findById(id).exec();
  }

  findManyByIds(ids: Types.ObjectId[]): Promise<ProductDocument[]> {
    return this.model.find({ _id: { $in: ids } }).exec();
  }

  create(product: Partial<Product>): Promise<ProductDocument> {
    return this.model.create(product);
  }

  update(id: string, changes: Partial<Product>): Promise<ProductDocument | null> {
    return this.model
      .findByIdAndUpdate(id, { $set: changes }, { returnDocument: 'after', runValidators: true })
      .exec();
  }

  count(): Promise<number> {
    return this.model.estimatedDocumentCount().exec();
  }

  /**
   * Inserts products that carry their own _id, skipping any already there, so several instances
   * seeding one empty database at once still end up with each product once. Returns how many it added.
   */
  async insertMissing(products: (Partial<Product> & { _id: Types.ObjectId })[]): Promise<number> {
    let added = 0;
    for (const product of products) {
      try {
        await this.model.create(product);
        added++;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    return added;
  }

  /**
   * One atomic conditional decrement that also records who took the units (`marker`), so a
   * process killed before its order exists leaves a trace the reconciler can give back exactly
   * once. True when the units are held for `marker` (now, or by an earlier attempt with it).
   */
  async reserve(id: Types.ObjectId, quantity: number, marker: string): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, active: true, stock: { $gte: quantity }, reservations: { $ne: marker } },
        { $inc: { stock: -quantity }, $push: { reservations: marker } },
      )
      .exec();
    if (result.modifiedCount === 1) return true;
    return (await this.model.exists({ _id: id, reservations: marker }).exec()) !== null;
  }

  /** The orders holding these units exist and own them: their markers go, in one update. */
  async settleReservations(id: Types.ObjectId, markers: string[]): Promise<void> {
    await this.model.updateOne({ _id: id }, { $pullAll: { reservations: markers } }).exec();
  }

  /** Gives a reservation's units back; the marker makes it happen once, whoever calls. */
  async releaseReservation(id: Types.ObjectId, marker: string, quantity: number): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, reservations: marker },
        { $inc: { stock: quantity }, $pull: { reservations: marker } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** Products with reservations whose order may not exist yet (the catalog is small: a scan). */
  findWithReservations(): Promise<Pick<ProductDocument, '_id' | 'reservations'>[]> {
    return this.model
      .find({ reservations: { $type: 'string' } }, { reservations: 1 })
      .lean<Pick<ProductDocument, '_id' | 'reservations'>[]>()
      .exec();
  }

  /** One atomic `$inc` that refuses to take stock below zero; null if it would (or no product). */
  adjustStock(id: string, delta: number): Promise<ProductDocument | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, stock: { $gte: -delta } },
        { $inc: { stock: delta } },
        { returnDocument: 'after' },
      )
      .exec();
  }

  async release(id: Types.ObjectId, quantity: number): Promise<void> {
    await this.model.updateOne({ _id: id }, { $inc: { stock: quantity } }).exec();
  }
}
