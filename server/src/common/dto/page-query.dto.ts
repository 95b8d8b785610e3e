import { Type } from 'class-transformer';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export const MAX_PAGE = 10_000;

export class PageQueryDto {
  /** 1-based page number (at most 10,000: deeper pages cost the database a long skip). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page: number = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit: number = 20;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

/** Newest-first lists that page with a cursor (day-pages.ts) instead of a skip. */
export class KeysetQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit: number = 20;
  /** `nextBefore` from the previous page: the items after it. */
  @ApiProperty({ required: false, example: '1764672000000_6750f0a1c2d3e4f5a6b7c8d9' })
  @IsOptional()
  @Matches(/^\d{1,15}_[0-9A-Za-z_-]{1,64}$/, { message: 'before must be a nextBefore value' })
  before?: string;
}

export interface KeysetPage<T> {
  items: T[];
  /** Matches, counted up to 1,000 (`totalCapped` then says there are at least that many). */
  total: number;
  totalCapped: boolean;
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: string | null;
  limit: number;
}
