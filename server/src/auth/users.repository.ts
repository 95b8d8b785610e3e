import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { User, UserDocument } from './schemas/user.schema';

@Injectable()
export class UsersRepository {
  constructor(@InjectModel(User.name) private readonly model: Model<User>) {}

  findByEmail(email: string): Promise<UserDocument | null> {
    return this.model.findOne({ email: email.trim().toLowerCase() }).exec();
  }

  findById(id: string): Promise<UserDocument | null> {
    return this.model.findById(id).exec();
  }

  /** Relies on the unique email index, so two racing sign-ups cannot both succeed. */
  create(user: User): Promise<UserDocument> {
    return this.model.create(user);
  }

  async setAdmin(email: string, passwordHash: string): Promise<void> {
    await this.model.updateOne({ email }, { $set: { role: 'admin', passwordHash } }).exec();
  }
}
