import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { httpConfig, type HttpConfig } from '../config/http.config.js';
import { pinoHttpParams } from './logging.js';

/**
 * Nest's logger is pino. The pino-http middleware itself is mounted first of all in `configureApp`
 * (`useExisting`), so even a body refused before routing is logged with its request id. JSON lines, or readable
 * ones in a terminal (LOG_FORMAT, see logging.ts).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [httpConfig.KEY],
      useFactory: (http: HttpConfig) => ({ pinoHttp: pinoHttpParams(http), useExisting: true }),
    }),
  ],
})
export class LoggingModule {}
