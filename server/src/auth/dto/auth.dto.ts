import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class RegisterDto {
  @IsString() @MinLength(1) @MaxLength(100) name: string;
  @IsEmail() @MaxLength(254) email: string;
  /** At least 8 characters. */
  @IsString() @MinLength(8) @MaxLength(128) password: string;
}

export class LoginDto {
  @IsEmail() email: string;
  @IsString() @MinLength(1) @MaxLength(128) password: string;
}

export class AccessTokenResponse {
  /** Send as `Authorization: Bearer <accessToken>`. */
  accessToken: string;
}

export class UserResponse {
  id: string;
  name: string;
  email: string;
  role: 'customer' | 'admin';
}

export class RegisteredUserResponse extends UserResponse {
  accessToken: string;
}
