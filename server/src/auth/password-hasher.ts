import { Injectable } from '@nestjs/common';
import { compare, hash } from 'bcryptjs';

const COST = 10;

/** bcrypt: slow on purpose, so a stolen table is expensive to crack. */
@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password, COST);
  }

  verify(password: string, passwordHash: string): Promise<boolean> {
    return compare(password, passwordHash);
  }
}
