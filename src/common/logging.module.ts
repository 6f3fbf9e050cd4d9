import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { LOG_SETTINGS_AREA, type LogSettings } from './log-settings.js';
import { pinoHttpParams } from './logging.js';

/**
 * Nest's logger is pino. The pino-http middleware itself is mounted first of all in `configureApp`
 * (`useExisting`), so even a body refused before routing is logged with its request id. JSON lines, or readable
 * ones in a terminal (LOG_FORMAT, see logging.ts). The settings are read from the `http` area through Nest's
 * ConfigService (common imports nothing from config/).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ pinoHttp: pinoHttpParams(config.getOrThrow<LogSettings>(LOG_SETTINGS_AREA)), useExisting: true }),
    }),
  ],
})
export class LoggingModule {}
