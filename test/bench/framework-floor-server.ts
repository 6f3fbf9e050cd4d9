// Framework floors: the smallest app of the framework the service runs on, answering the floor's small JSON body on
// one route, started as its own process like the floor and the service.
// `node framework-floor-server.js <express|nest|fastify|nest-fastify> <port>`; prints "ready" when listening. They
// show what the framework alone costs a request, with nothing of ours in it: the ceiling an endpoint of the service
// can reach, beside the bare node:http floor (issue 14). Fastify and NestJS on Fastify measure the other HTTP
// platform NestJS offers, before anyone weighs moving the service to it. Logging is off in all of them.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import express from 'express';
import Fastify from 'fastify';
import type { Server } from 'node:http';

const [kind, portArg] = process.argv.slice(2);
const port = Number(portArg);
const body = { status: 'ok' };

@Controller()
class FloorController {
  @Get()
  ok(): typeof body {
    return body;
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

let server: Server;
if (kind === 'express') {
  const app = express();
  app.get('/', (_req, res) => {
    res.json(body);
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
} else if (kind === 'nest') {
  const app = await NestFactory.create(FloorModule, { logger: false });
  await app.listen(port, '127.0.0.1');
  server = app.getHttpServer() as Server;
} else if (kind === 'fastify') {
  const app = Fastify({ logger: false });
  app.get('/', (_req, reply) => reply.send(body));
  await app.listen({ port, host: '127.0.0.1' });
  server = app.server;
} else if (kind === 'nest-fastify') {
  const app = await NestFactory.create<NestFastifyApplication>(FloorModule, new FastifyAdapter({ logger: false }), { logger: false });
  await app.listen(port, '127.0.0.1');
  server = app.getHttpServer() as Server;
} else {
  throw new Error(`framework-floor-server: express, nest, fastify or nest-fastify, not "${kind}"`);
}
server.keepAliveTimeout = 120_000;
process.stdout.write('ready\n');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
