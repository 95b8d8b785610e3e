import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A data migration that has finished, keyed by its name: checked by `_id` at every start. */
@Schema({ collection: 'migrations', versionKey: false })
export class Migration {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) doneAt: Date;
}

export const MigrationSchema = SchemaFactory.createForClass(Migration);
