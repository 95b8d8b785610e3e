import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
} from '@angular/core';
import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { provideClientHydration, withEventReplay } from '@angular/platform-browser';
import { provideRouter, withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { routes } from './app.routes';
import { authInterceptor } from './core/auth-interceptor';
import { AuthService } from './core/auth-service';
import { renderFailureInterceptor } from './core/render-context';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // Server-rendered pages (app.routes.server.ts) are hydrated, not rendered again; the API
    // reads the server made travel with the page, and a click before hydration is replayed
    // after it (its inline script is allowed by hash, server/src/storefront/storefront.ts).
    provideClientHydration(withEventReplay()),
    provideHttpClient(withFetch(), withInterceptors([renderFailureInterceptor, authInterceptor])),
    provideRouter(
      routes,
      withComponentInputBinding(),
      withInMemoryScrolling({ scrollPositionRestoration: 'top' }),
    ),
    // Restore the signed-in user in the background; never block the first paint on it.
    provideAppInitializer(() => {
      void inject(AuthService).restore();
    }),
  ],
};
