import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive } from '@angular/router';
import { CartService } from '../cart/cart-service';
import { AuthService } from './auth-service';

/**
 * The header's links: who is signed in and what is in the cart, both kept in this browser. The
 * server cannot know them, so App renders this with `ngSkipHydration` (the browser draws it).
 */
@Component({
  selector: 'app-site-nav',
  imports: [RouterLink, RouterLinkActive],
  templateUrl: './site-nav.html',
  styleUrl: './site-nav.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SiteNav {
  protected readonly auth = inject(AuthService);
  protected readonly cart = inject(CartService);
  private readonly router = inject(Router);

  protected signOut(): void {
    this.auth.signOut();
    void this.router.navigateByUrl('/');
  }
}
