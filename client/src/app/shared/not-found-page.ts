import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-not-found-page',
  imports: [RouterLink],
  template: `
    <section class="panel" style="max-width: 36rem; margin: 2rem auto; text-align: center">
      <h1>Page not found</h1>
      <p class="muted">The page you were looking for has moved or never existed.</p>
      <a class="btn" routerLink="/">Back to the shop</a>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFoundPage {}
