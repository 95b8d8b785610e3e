import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainException } from '../common/domain.exception';
import { AppConfig } from '../config/app-config';
import {
  AccessTokenResponse,
  LoginDto,
  RegisterDto,
  RegisteredUserResponse,
  UserResponse,
} from './dto/auth.dto';
import { PasswordHasher } from './password-hasher';
import { UserDocument } from './schemas/user.schema';
import { UsersRepository } from './users.repository';
import { isDuplicateKeyError } from '../common/duplicate-key';

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async register(dto: RegisterDto): Promise<RegisteredUserResponse> {
    const passwordHash = await this.hasher.hash(dto.password);
    try {
      const user = await this.users.create({
        name: dto.name,
        email: dto.email.toLowerCase(),
        passwordHash,
        role: 'customer',
      });
      return { ...toUserResponse(user), accessToken: await this.sign(user) };
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new DomainException('EMAIL_TAKEN', 'An account with this email already exists');
      }
      throw error;
    }
  }

  async login(dto: LoginDto): Promise<AccessTokenResponse> {
    const user = await this.users.findByEmail(dto.email);
    // Same answer for an unknown email and a wrong password, so accounts cannot be probed.
    if (!user || !(await this.hasher.verify(dto.password, user.passwordHash))) {
      throw new DomainException('INVALID_CREDENTIALS', 'Email or password is incorrect');
    }
    return { accessToken: await this.sign(user) };
  }

  async me(userId: string): Promise<UserResponse> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainException('AUTH_REQUIRED', 'The account no longer exists');
    return toUserResponse(user);
  }

  /** Seeds (or repairs) the operator account from ADMIN_EMAIL / ADMIN_PASSWORD. */
  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.get('ADMIN_EMAIL').toLowerCase();
    const password = this.config.get('ADMIN_PASSWORD');
    const existing = await this.users.findByEmail(email);
    if (existing?.role === 'admin' && (await this.hasher.verify(password, existing.passwordHash)))
      return;
    const passwordHash = await this.hasher.hash(password);
    if (existing) {
      await this.users.setAdmin(email, passwordHash);
    } else {
      await this.users
        .create({ name: 'Shop operator', email, passwordHash, role: 'admin' })
        .catch((error: unknown) => {
          // Another instance seeded it at the same moment.
          if (!isDuplicateKeyError(error)) throw error;
        });
    }
    this.logger.log(`Operator account ready for ${email.replace(/^(.).*@/, '$1***@')}`);
  }

  private sign(user: UserDocument): Promise<string> {
    return this.jwt.signAsync({
      sub: user.id as string,
      email: user.email,
      name: user.name,
      role: user.role,
    });
  }
}

function toUserResponse(user: UserDocument): UserResponse {
  return { id: user.id as string, name: user.name, email: user.email, role: user.role };
}
