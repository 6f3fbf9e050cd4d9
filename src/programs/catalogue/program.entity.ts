import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { ProgramKind } from './program-definition.js';

/** A program of the catalogue. What it consists of lives in its versions; the slug names its canonical URL. */
@Entity('program')
@Unique('UQ_program_slug', ['slug'])
@Check('CHK_program_kind', `"kind" IN ('group-course', 'individual')`)
export class Program {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text' })
  kind!: ProgramKind;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
