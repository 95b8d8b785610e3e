/**
 * Shop API types — the single place the storefront describes the server's contract.
 * Keep in step with the server's OpenAPI document (this file can later be generated from it).
 * All money values are integer paise.
 */

export type Currency = 'INR';

export interface ApiError {
  statusCode: number;
  error: string;
  message: string | string[];
}

export interface ShopConfig {
  razorpayKeyId: string;
  checkoutScriptUrl: string;
  currency: Currency;
  mode: 'sandbox' | 'live';
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export interface Product {
  id: string;
  name: string;
  description: string;
  /** integer paise */
  price: number;
  currency: Currency;
  imageUrl: string;
  stock: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ProductQuery {
  page?: number;
  limit?: number;
  search?: string;
}

export type Role = 'customer' | 'admin' | (string & {});

export interface RegisterRequest {
  name: string;
  email: string;
  password: string;
}

export interface RegisterResponse {
  id: string;
  name: string;
  email: string;
  role: Role;
  accessToken: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface LoginResponse {
  accessToken: string;
}

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export type OrderStatus =
  'pending' | 'paid' | 'partially_refunded' | 'refunded' | 'expired' | 'cancelled';

export interface Customer {
  name: string;
  email: string;
  contact: string;
}

export interface CreateOrderItem {
  productId: string;
  quantity: number;
}

/** Never carries prices: the server prices the order from its catalog. */
export interface CreateOrderRequest {
  items: CreateOrderItem[];
  customer: Customer;
}

export interface OrderItem {
  productId: string;
  name: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
  imageUrl: string;
}

export interface OrderHistoryEntry {
  status: OrderStatus;
  at: string;
  source: string;
  note?: string;
}

export interface Order {
  id: string;
  status: OrderStatus;
  items: OrderItem[];
  amount: number;
  amountRefunded: number;
  currency: Currency;
  customer: Customer;
  razorpayOrderId: string;
  razorpayKeyId: string;
  /** Guest access token; returned when the order is created. */
  accessToken?: string;
  expiresAt: string;
  paidAt: string | null;
  createdAt: string;
  updatedAt: string;
  history: OrderHistoryEntry[];
}

/** Razorpay Checkout's handler response, sent to the server exactly as received. */
export interface VerifyPaymentRequest {
  razorpay_order_id: string;
  razorpay_payment_id: string;
  razorpay_signature: string;
}

export interface PurchaseStatus {
  purchased: boolean;
  orderId: string | null;
  paidAt: string | null;
}
