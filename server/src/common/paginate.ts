import { Model, QueryFilter, SortOrder } from 'mongoose';

/** One page of `filter`'s matches, in `sort` order, and how many match in all. */
export async function paginate<T>(
  model: Model<T>,
  filter: QueryFilter<T>,
  sort: Record<string, SortOrder>,
  page: number,
  limit: number,
) {
  const [items, total] = await Promise.all([
    model
      .find(filter)
      .sort(sort)
      .skip((page - 1) * limit)
      .limit(limit)
      .exec(),
    model.countDocuments(filter).exec(),
  ]);
  return { items, total };
}
