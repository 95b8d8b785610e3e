import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { isValidObjectId } from 'mongoose';

/** Rejects a malformed id with 400 before it reaches the database. */
@Injectable()
export class ObjectIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[0-9a-f]{24}$/i.test(value) || !isValidObjectId(value)) {
      throw new BadRequestException(`"${value.slice(0, 40)}" is not a valid id`);
    }
    return value;
  }
}
