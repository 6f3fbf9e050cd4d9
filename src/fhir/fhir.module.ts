import { Global, Module } from '@nestjs/common';
import { FhirGateway } from './fhir-gateway.js';

@Global()
@Module({
  providers: [FhirGateway],
  exports: [FhirGateway],
})
export class FhirModule {}
