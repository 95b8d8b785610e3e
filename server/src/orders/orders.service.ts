import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import { Connection, Types } from 'mongoose';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { DomainException } from '../common/domain.exception';
import { Page } from '../common/dto/page-query.dto';
import { isDuplicateKeyError } from '../common/duplicate-key';
import { AppConfig } from '../config/app-config';
import { RazorpayService } from '../razorpay/razorpay.service';
import { ProductsRepository } from '../products/products.repository';
import { CreateOrderDto, OrderResponse } from './dto/order.dto';
import { IdempotencyRepository } from './idempotency.repository';
import { OrderAccessTokens } from './order-access-token';
import { OrderNumbers } from './order-numbers';
import { toOrderResponse } from './order.mapper';
import { OrdersRepository } from './orders.repository';
import { OrderDocument, OrderItem } from './schemas/order.schema';
import { outOfStock, StockReservations } from './stock-reservations';
import { utcDay } from '../common/utc-day';

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claimed key whose order does not exist after this long belonged to an attempt that died. */
const ABANDONED_CREATION_MS = 60_000;
const UNASSIGNED_PREFIX = 'unassigned_';

export interface OrderCreated {
  order: OrderResponse;
  replayed: boolean;
}

@Injectable()
export class OrdersService {
  private readonly numbers: OrderNumbers;

  constructor(
    private readonly orders: OrdersRepository,
    private readonly products: ProductsRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly reservations: StockReservations,
    private readonly razorpay: RazorpayService,
    private readonly tokens: OrderAccessTokens,
    private readonly config: AppConfig,
    @InjectConnection() connection: Connection,
  ) {
    this.numbers = new OrderNumbers(connection);
  }

  async create(
    dto: CreateOrderDto,
    user?: AuthenticatedUser,
    idempotencyKey?: string,
  ): Promise<OrderCreated> {
    const lines = mergeLines(dto);
    const orderId = this.orders.newId();
    if (!idempotencyKey)
      return { order: await this.place(orderId, dto, lines, user), replayed: false };

    // Scoped to the account, or for a guest to the email, so strangers' keys never collide.
    const scope = user ? `user:${user.id}` : `guest:${dto.customer.email.toLowerCase()}`;
    const keyId = sha256(`${scope}:${idempotencyKey}`);
    const requestHash = sha256(JSON.stringify({ lines, customer: dto.customer }));
    const claim = await this.idempotency.claim(keyId, requestHash, orderId, IDEMPOTENCY_TTL_MS);
    if (claim.kind === 'existing') {
      const { record } = claim;
      if (record.requestHash !== requestHash) {
        throw new DomainException(
          'IDEMPOTENCY_CONFLICT',
          'This Idempotency-Key was used for a different order',
        );
      }
      const found = await this.orders.findById(record.orderId);
      if (found) {
        const existing = await this.finishAbandoned(found);
        return {
          order: this.view(existing, this.tokens.issue(existing.id as string)),
          replayed: true,
        };
      }
      const abandoned = Date.now() - record.createdAt.getTime() > ABANDONED_CREATION_MS;
      if (!abandoned || !(await this.idempotency.takeOverAbandoned(record))) {
        throw new DomainException(
          'IDEMPOTENCY_CONFLICT',
          'An order with this Idempotency-Key is still being created',
        );
      }
      return this.placeClaimed(keyId, record.orderId, dto, lines, user);
    }
    return this.placeClaimed(keyId, orderId, dto, lines, user);
  }

  /** Visible to its owner, an admin, or a guest holding the order's access token; 404 for anyone else. */
  async getVisible(
    id: string,
    user?: AuthenticatedUser,
    orderToken?: string,
  ): Promise<OrderResponse> {
    const order = await this.orders.findById(id);
    const allowed =
      order &&
      (user?.role === 'admin' ||
        (user && order.userId?.toHexString() === user.id) ||
        this.tokens.isValid(order.id as string, orderToken));
    if (!order || !allowed) throw new DomainException('ORDER_NOT_FOUND', 'Order not found');
    return this.view(order);
  }

  async listForUser(userId: string, page: number, limit: number): Promise<Page<OrderResponse>> {
    const { items, total } = await this.orders.listForUser(userId, page, limit);
    return { items: items.map((o) => this.view(o)), total, page, limit };
  }

  view(order: OrderDocument, accessToken?: string): OrderResponse {
    return toOrderResponse(order, this.razorpay.keyId, accessToken);
  }

  private async placeClaimed(
    keyId: string,
    orderId: Types.ObjectId,
    dto: CreateOrderDto,
    lines: Line[],
    user?: AuthenticatedUser,
  ): Promise<OrderCreated> {
    try {
      return { order: await this.place(orderId, dto, lines, user), replayed: false };
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        // A taken-over attempt was still alive and inserted the order after all: that is the order.
        const existing = await this.orders.findById(orderId);
        if (existing)
          return {
            order: this.view(existing, this.tokens.issue(existing.id as string)),
            replayed: true,
          };
      }
      await this.idempotency.release(keyId);
      throw error;
    }
  }

  /**
   * Prices from the catalog, reserves stock with atomic conditional decrements, creates Razorpay's
   * order (receipt = our order number), then records ours with Razorpay's id in it: one insert,
   * nothing to fill in afterwards: a decrement per line and the insert are all it writes. Any
   * failure gives the reserved stock back; a Razorpay order left behind by a failure was never
   * shown to anyone, so nobody can pay it.
   */
  private async place(
    id: Types.ObjectId,
    dto: CreateOrderDto,
    lines: Line[],
    user?: AuthenticatedUser,
  ): Promise<OrderResponse> {
    const items = await this.priceLines(lines);
    await this.reservations.reserveAll(id, items);
    const amount = items.reduce((sum, i) => sum + i.lineTotal, 0);
    let order: OrderDocument;
    try {
      const orderNumber = await this.numbers.next();
      const razorpayOrder = await this.createRazorpayOrder(id, amount, 'INR', orderNumber);
      const now = new Date();
      order = await this.orders.insert({
        _id: id,
        orderNumber,
        status: 'pending',
        items,
        amount,
        currency: 'INR',
        // A plain object: mongoose 9 cannot embed the DTO class instance as a subdocument.
        customer: {
          name: dto.customer.name,
          email: dto.customer.email.toLowerCase(),
          contact: dto.customer.contact,
        },
        customerEmail: dto.customer.email.toLowerCase(),
        createdAt: now,
        createdDay: utcDay(now),
        userId: user ? new Types.ObjectId(user.id) : null,
        razorpayOrderId: razorpayOrder.id,
        expiresAt: new Date(now.getTime() + this.config.orderTtlMs),
        history: [{ status: 'pending', at: now, source: 'checkout' }],
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) {
        await this.reservations.releaseAll(id, items);
        throw error;
      }
      // The id is taken. By a taken-over attempt with the same Idempotency-Key, which owns the
      // units (placeClaimed returns its order); or by the reconciler, which gave this slow
      // placement up: then no order may be recorded (releaseAll is a no-op if it gave them back).
      if ((await this.orders.holderOf(id)) !== 'lapsed') throw error;
      await this.reservations.releaseAll(id, items);
      throw new DomainException(
        'OUT_OF_STOCK',
        'The order took too long to place; please try again',
      );
    }
    this.reservations.handOver(id, items);
    return this.view(order, this.tokens.issue(id.toHexString()));
  }

  /**
   * Creates Razorpay's order for an order recorded without one and links the two; only the first
   * link counts (a conditional update on the placeholder), so two replays cannot give two ids.
   */
  private async openRazorpayOrder(order: OrderDocument): Promise<OrderDocument> {
    const razorpayOrder = await this.createRazorpayOrder(
      order._id,
      order.amount,
      order.currency,
      order.orderNumber,
    );
    return (await this.orders.assignRazorpayOrderId(order, razorpayOrder.id)) ?? order;
  }

  /** Razorpay's order for ours: our number as its receipt, our id in its notes. */
  private createRazorpayOrder(
    id: Types.ObjectId,
    amount: number,
    currency: string,
    orderNumber: string,
  ) {
    return this.razorpay.createOrder({
      amount,
      currency,
      receipt: orderNumber,
      notes: { shop_order_id: id.toHexString() },
    });
  }

  /**
   * A replayed order recorded without Razorpay's order (the placeholder id): versions before
   * Razorpay's order was created first recorded ours, then Razorpay's, and a process could die in
   * between. Finish it, so such an order in an upgraded database can still be paid.
   */
  private async finishAbandoned(order: OrderDocument): Promise<OrderDocument> {
    const abandoned =
      order.status === 'pending' &&
      isUnassignedRazorpayOrderId(order.razorpayOrderId) &&
      Date.now() - order.createdAt.getTime() > ABANDONED_CREATION_MS;
    return abandoned ? this.openRazorpayOrder(order) : order;
  }

  private async priceLines(lines: Line[]): Promise<OrderItem[]> {
    const products = await this.products.findManyByIds(
      lines.map((l) => new Types.ObjectId(l.productId)),
    );
    const byId = new Map(products.map((p) => [p.id as string, p]));
    return lines.map(({ productId, quantity }) => {
      const product = byId.get(productId);
      if (!product)
        throw new DomainException('PRODUCT_NOT_FOUND', `Product ${productId} not found`);
      if (!product.active)
        throw new DomainException('PRODUCT_UNAVAILABLE', `${product.name} is no longer sold`);
      // Sold out as read: refused without a write. The read only ever refuses; every sale is
      // still decided by the conditional decrement (a unit given back a moment ago is missed,
      // as it would be by a request a moment earlier).
      if (product.stock < quantity) throw outOfStock(product.name);
      return {
        productId: product._id,
        name: product.name,
        unitPrice: product.price,
        quantity,
        lineTotal: product.price * quantity,
        imageUrl: product.imageUrl,
      };
    });
  }
}

interface Line {
  productId: string;
  quantity: number;
}

/** The same product twice in one request is one line. */
function mergeLines(dto: CreateOrderDto): Line[] {
  const merged = new Map<string, number>();
  for (const { productId, quantity } of dto.items) {
    merged.set(productId.toLowerCase(), (merged.get(productId.toLowerCase()) ?? 0) + quantity);
  }
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function isUnassignedRazorpayOrderId(razorpayOrderId: string): boolean {
  return razorpayOrderId.startsWith(UNASSIGNED_PREFIX);
}
