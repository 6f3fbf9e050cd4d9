import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { KeysService } from './keys.service.js';

@ApiTags('smart')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: KeysService) {}

  /** Our public keys, for EHRs that authenticate us with private_key_jwt. */
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks() {
    return this.keys.publicJwks();
  }
}
