import { DefaultNamingStrategy, type NamingStrategyInterface } from 'typeorm';
import { snakeCase } from 'typeorm/util/StringUtils.js';

/**
 * Column names in snake_case from the property names (`patientId` → `patient_id`, the relation `programVersion` →
 * `program_version_id`), so entities name a column only where it differs from that rule. Tables are named in
 * `@Entity(...)`; constraint and index names stay TypeORM's defaults or the entity's explicit ones.
 *
 * Hand-written rather than `typeorm-naming-strategies`' SnakeNamingStrategy (which does the same with the same
 * `snakeCase`): its latest release (4.1.0) declares a peer dependency on typeorm ^0.2 || ^0.3, which npm refuses
 * beside this service's typeorm 1.x; the two methods below are all of it that this service needs.
 */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override columnName(propertyName: string, customName: string | undefined, embeddedPrefixes: string[]): string {
    return snakeCase(embeddedPrefixes.concat('').join('_')) + (customName || snakeCase(propertyName));
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snakeCase(`${relationName}_${referencedColumnName}`);
  }
}
