import { Body, Controller, HttpCode, HttpStatus, Injectable, Module, Post } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiConsumes, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { RateLimit } from '../common/throttling';
import { AuthService } from './auth.service';

/** RFC 6749 §4.3 resource owner password request, as Swagger UI's Authorize dialog sends it. */
export class PasswordGrantDto {
  @ApiProperty({ enum: ['password'], example: 'password' })
  @IsIn(['password'])
  grant_type: string;
  /** The operator's email. */
  @ApiProperty({ example: 'admin@example.com' }) @IsEmail() username: string;
  @ApiProperty({ example: 'admin-password' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
  // Swagger UI may send these (empty); the shop has no scopes or OAuth clients.
  @IsOptional() @IsString() @MaxLength(200) scope?: string;
  @IsOptional() @IsString() @MaxLength(200) client_id?: string;
  @IsOptional() @IsString() @MaxLength(200) client_secret?: string;
}

export class OAuthTokenResponse {
  /** The same bearer token POST /api/auth/login returns. */
  access_token: string;
  @ApiProperty({ enum: ['bearer'] }) token_type: 'bearer';
}

/** The password grant on top of the shop's own sign-in: same accounts, checks and rate limit. */
@Injectable()
export class PasswordGrant {
  constructor(private readonly moduleRef: ModuleRef) {}

  async exchange(dto: PasswordGrantDto): Promise<OAuthTokenResponse> {
    // AuthModule keeps AuthService to itself; resolve it rather than duplicate sign-in.
    const auth = this.moduleRef.get(AuthService, { strict: false });
    const { accessToken } = await auth.login({ email: dto.username, password: dto.password });
    return { access_token: accessToken, token_type: 'bearer' };
  }
}

@ApiTags('auth')
@Controller('auth')
@RateLimit('auth')
export class TokenController {
  constructor(private readonly grant: PasswordGrant) {}

  /**
   * OAuth2 password flow for Swagger UI's Authorize dialog (form-encoded `grant_type=password`,
   * `username`, `password`); answers `{access_token, token_type}`. 401 when the email or password
   * is wrong.
   */
  @Post('token')
  @HttpCode(HttpStatus.OK)
  @ApiConsumes('application/x-www-form-urlencoded')
  token(@Body() dto: PasswordGrantDto): Promise<OAuthTokenResponse> {
    return this.grant.exchange(dto);
  }
}

@Module({ controllers: [TokenController], providers: [PasswordGrant] })
export class TokenModule {}
