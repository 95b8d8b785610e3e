import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  inject,
  input,
  signal,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { apiErrorMessage, httpStatus } from '../core/api-error';
import { AuthService } from '../core/auth-service';
import { safeReturnUrl } from './sign-in-page';

export const MIN_PASSWORD = 8;

@Component({
  selector: 'app-register-page',
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './register-page.html',
  styleUrl: './account.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RegisterPage {
  readonly returnUrl = input<string | undefined>();
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  protected readonly minPassword = MIN_PASSWORD;

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    email: ['', [Validators.required, Validators.email]],
    password: ['', [Validators.required, Validators.minLength(MIN_PASSWORD)]],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly submitted = signal(false);

  protected invalid(name: 'name' | 'email' | 'password'): boolean {
    const c = this.form.controls[name];
    return c.invalid && (c.touched || this.submitted());
  }

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    this.submitted.set(true);
    this.error.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      const first = (['name', 'email', 'password'] as const).find(
        (k) => this.form.controls[k].invalid,
      );
      this.focus(`#register-${first}`);
      return;
    }
    this.busy.set(true);
    try {
      const { name, email, password } = this.form.getRawValue();
      await this.auth.register({ name: name.trim(), email: email.trim(), password });
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (err) {
      this.error.set(
        httpStatus(err) === 409
          ? 'An account with this email already exists. Sign in instead.'
          : apiErrorMessage(err, 'We could not create your account.'),
      );
      this.focus('#register-error');
    } finally {
      this.busy.set(false);
    }
  }

  private focus(selector: string): void {
    afterNextRender(
      () => (this.host.nativeElement.querySelector(selector) as HTMLElement | null)?.focus(),
      { injector: this.injector },
    );
  }
}
