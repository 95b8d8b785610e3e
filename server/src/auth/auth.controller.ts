import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, RequireAuth } from './authenticated-user';
import { AuthService } from './auth.service';
import {
  AccessTokenResponse,
  LoginDto,
  RegisterDto,
  RegisteredUserResponse,
  UserResponse,
} from './dto/auth.dto';
import { RateLimit } from '../common/throttling';

@ApiTags('auth')
@Controller('auth')
@RateLimit('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Creates a customer account and signs it in. 409 when the email is taken. */
  @Post('register')
  register(@Body() dto: RegisterDto): Promise<RegisteredUserResponse> {
    return this.auth.register(dto);
  }

  /** Returns a bearer token; 401 when the email or password is wrong. */
  @Post('login')
  @HttpCode(HttpStatus.OK)
  login(@Body() dto: LoginDto): Promise<AccessTokenResponse> {
    return this.auth.login(dto);
  }

  @Get('me')
  @ApiBearerAuth()
  @RequireAuth()
  me(@CurrentUser() user: AuthenticatedUser): Promise<UserResponse> {
    return this.auth.me(user.id);
  }
}
