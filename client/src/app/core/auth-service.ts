import { Injectable, computed, inject, signal } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import {
  LoginRequest,
  LoginResponse,
  RegisterRequest,
  RegisterResponse,
  User,
} from '../api/api-types';
import { BrowserStorage } from './browser-storage';
import { httpStatus } from './api-error';

const TOKEN_KEY = 'shop.auth.token';

@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly storage = inject(BrowserStorage);

  private readonly tokenSignal = signal<string | null>(this.storage.get<string>(TOKEN_KEY));
  private readonly userSignal = signal<User | null>(null);

  readonly token = this.tokenSignal.asReadonly();
  readonly user = this.userSignal.asReadonly();
  readonly signedIn = computed(() => this.tokenSignal() !== null);

  /** Called once at start-up: turns a stored token into a user, or forgets it. */
  async restore(): Promise<void> {
    if (!this.tokenSignal()) return;
    try {
      await this.loadMe();
    } catch (err) {
      if (httpStatus(err) === 401 || httpStatus(err) === 403) this.signOut();
    }
  }

  async register(body: RegisterRequest): Promise<User> {
    const res = await firstValueFrom(this.http.post<RegisterResponse>('/api/auth/register', body));
    this.setToken(res.accessToken);
    const user: User = { id: res.id, name: res.name, email: res.email, role: res.role };
    this.userSignal.set(user);
    return user;
  }

  async signIn(body: LoginRequest): Promise<User> {
    const res = await firstValueFrom(this.http.post<LoginResponse>('/api/auth/login', body));
    this.setToken(res.accessToken);
    try {
      return await this.loadMe();
    } catch (err) {
      this.signOut();
      throw err;
    }
  }

  signOut(): void {
    this.tokenSignal.set(null);
    this.userSignal.set(null);
    this.storage.remove(TOKEN_KEY);
  }

  private async loadMe(): Promise<User> {
    const user = await firstValueFrom(this.http.get<User>('/api/auth/me'));
    this.userSignal.set(user);
    return user;
  }

  private setToken(token: string): void {
    this.tokenSignal.set(token);
    this.storage.set(TOKEN_KEY, token);
  }
}
