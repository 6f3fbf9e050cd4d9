import type { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';

// Some requests come from a person at a browser, not an API client: a feature may answer their errors with a page
// (the smart module: a browser's navigation to /smart/*). A port, so the error filter in common never imports the
// feature; an abstract class, so it doubles as the Nest injection token.

export abstract class ErrorPage {
  /** Answers `err` with a page and returns true when the request is one the page is for; false leaves it to the OperationOutcome. */
  abstract send(err: unknown, req: Request, res: Response, logger: Logger): boolean;
}
