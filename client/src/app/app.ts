import { ChangeDetectionStrategy, Component, DOCUMENT, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { filter, skip } from 'rxjs';
import { SiteNav } from './core/site-nav';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, SiteNav],
  templateUrl: './app.html',
  styleUrl: './app.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  protected readonly year = new Date().getFullYear();

  constructor() {
    // After an in-app navigation, start keyboard and screen-reader users at the new page's content.
    this.router.events
      .pipe(
        filter((e) => e instanceof NavigationEnd),
        skip(1),
        takeUntilDestroyed(),
      )
      .subscribe(() => {
        const main = this.document.getElementById('main');
        if (main && !main.contains(this.document.activeElement))
          main.focus({ preventScroll: true });
      });
  }
}
