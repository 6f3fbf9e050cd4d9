/**
 * The log settings common's logging reads. config/http.config.ts's HttpConfig satisfies it (its `http` area carries
 * them, from LOG_LEVEL and LOG_FORMAT): defined here because common, the lowest floor, imports nothing from config.
 */
export interface LogSettings {
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `json` (one object a line), `pretty` (readable, for a person), or `auto`: pretty when stdout is a terminal. */
  logFormat: 'auto' | 'json' | 'pretty';
}

/** The configuration area that carries them (config/http.config.ts registers it). */
export const LOG_SETTINGS_AREA = 'http';
