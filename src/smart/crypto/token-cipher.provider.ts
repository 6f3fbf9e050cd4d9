import type { Provider } from '@nestjs/common';
import { securityConfig, type SecurityConfig } from '../../config/security.config.js';
import { TokenCipher } from './token-cipher.js';

export const tokenCipherProvider: Provider = {
  provide: TokenCipher,
  inject: [securityConfig.KEY],
  useFactory: (security: SecurityConfig) => new TokenCipher(security.encryptionKeys),
};
