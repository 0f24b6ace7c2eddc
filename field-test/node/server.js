// express-rate-limit server for Throttle's field test. Started by dev.throttle.field.ExpressServer on 127.0.0.1.
// Environment: PORT (required), HEADERS = draft-8 | draft-7 | legacy, LIMIT (default 50), WINDOW_MS (default 10000).
// It counts the requests it admits itself, per fixed window (keyed by the window's reset time that
// express-rate-limit assigns), and serves the counts as plain text on GET /__stats, which is registered before
// the limiter and so is never limited: one line "total <admitted> <rejected>", then one line per window
// "window <resetEpochMs> <admitted> <rejected>". Prints "listening <port>" once it accepts connections.
'use strict';
const express = require('express');
const { rateLimit } = require('express-rate-limit');

const port = Number(process.env.PORT);
const headers = process.env.HEADERS || 'draft-8';
const limit = Number(process.env.LIMIT || 50);
const windowMs = Number(process.env.WINDOW_MS || 10000);
if (!Number.isInteger(port) || port <= 0) {
  console.error('PORT must be set');
  process.exit(2);
}
const variants = {
  'draft-8': { standardHeaders: 'draft-8', legacyHeaders: false },
  'draft-7': { standardHeaders: 'draft-7', legacyHeaders: false },
  legacy: { standardHeaders: false, legacyHeaders: true },
};
if (!variants[headers]) {
  console.error('HEADERS must be one of ' + Object.keys(variants).join(', '));
  process.exit(2);
}

const stats = { admitted: 0, rejected: 0, windows: {} };
function windowOf(req) {
  const reset = req.rateLimit && req.rateLimit.resetTime ? req.rateLimit.resetTime.getTime() : 0;
  if (!stats.windows[reset]) {
    stats.windows[reset] = { resetMs: reset, admitted: 0, rejected: 0 };
  }
  return stats.windows[reset];
}

const app = express();
app.get('/__stats', (req, res) => {
  const lines = ['total ' + stats.admitted + ' ' + stats.rejected];
  for (const w of Object.values(stats.windows)) {
    lines.push('window ' + w.resetMs + ' ' + w.admitted + ' ' + w.rejected);
  }
  res.type('text/plain').send(lines.join('\n') + '\n');
});
app.use(rateLimit({
  windowMs,
  limit,
  ...variants[headers],
  handler: (req, res, next, options) => {
    stats.rejected++;
    windowOf(req).rejected++;
    res.status(options.statusCode).send(options.message);
  },
}));
app.get('/', (req, res) => {
  stats.admitted++;
  windowOf(req).admitted++;
  res.type('text/plain').send('ok\n');
});

const server = app.listen(port, '127.0.0.1', () => console.log('listening ' + port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
