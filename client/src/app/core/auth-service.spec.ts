import { TestBed } from '@angular/core/testing';
import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { firstValueFrom } from 'rxjs';
import { AuthService } from './auth-service';
import { authInterceptor } from './auth-interceptor';

describe('AuthService + authInterceptor', () => {
  let auth: AuthService;
  let http: HttpTestingController;
  let client: HttpClient;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    auth = TestBed.inject(AuthService);
    http = TestBed.inject(HttpTestingController);
    client = TestBed.inject(HttpClient);
  });
  afterEach(() => http.verify());

  it('registers, stores the token and sends it as a bearer', async () => {
    const done = auth.register({ name: 'Asha', email: 'asha@example.com', password: 'secret123' });
    http.expectOne('/api/auth/register').flush(
      {
        id: 'u1',
        name: 'Asha',
        email: 'asha@example.com',
        role: 'customer',
        accessToken: 'jwt-1',
      },
      { status: 201, statusText: 'Created' },
    );
    await done;
    expect(auth.signedIn()).toBe(true);
    expect(auth.user()?.name).toBe('Asha');

    void firstValueFrom(client.get('/api/me/orders'));
    const req = http.expectOne('/api/me/orders');
    expect(req.request.headers.get('Authorization')).toBe('Bearer jwt-1');
    req.flush({ items: [], total: 0, page: 1, limit: 20 });
  });

  it('signs in then loads /api/auth/me', async () => {
    const done = auth.signIn({ email: 'asha@example.com', password: 'secret123' });
    http.expectOne('/api/auth/login').flush({ accessToken: 'jwt-2' });
    await Promise.resolve();
    const me = http.expectOne('/api/auth/me');
    expect(me.request.headers.get('Authorization')).toBe('Bearer jwt-2');
    me.flush({ id: 'u1', name: 'Asha', email: 'asha@example.com', role: 'customer' });
    await done;
    expect(auth.user()?.email).toBe('asha@example.com');
  });

  it('does not add a bearer to other origins, and sign out forgets the token', async () => {
    localStorage.setItem('shop.auth.token', JSON.stringify('jwt-3'));
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    auth = TestBed.inject(AuthService);
    http = TestBed.inject(HttpTestingController);
    client = TestBed.inject(HttpClient);
    expect(auth.signedIn()).toBe(true);

    void firstValueFrom(client.get('https://cdn.example.com/x.json'));
    expect(
      http.expectOne('https://cdn.example.com/x.json').request.headers.has('Authorization'),
    ).toBe(false);

    auth.signOut();
    expect(localStorage.getItem('shop.auth.token')).toBeNull();
    void firstValueFrom(client.get('/api/products'));
    expect(http.expectOne('/api/products').request.headers.has('Authorization')).toBe(false);
  });

  it('forgets a stored token the server rejects', async () => {
    localStorage.setItem('shop.auth.token', JSON.stringify('expired'));
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    auth = TestBed.inject(AuthService);
    http = TestBed.inject(HttpTestingController);
    const restored = auth.restore();
    http
      .expectOne('/api/auth/me')
      .flush(
        { statusCode: 401, error: 'Unauthorized', message: 'bad token' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await restored;
    expect(auth.signedIn()).toBe(false);
  });
});
