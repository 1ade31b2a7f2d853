export { createApp, type AppDeps } from './app';
export { loadSettings, generateKey, type Settings } from './config/settings';
export { startServer, type RunningServer } from './server';
export { createLogger, createMemoryLogger, type Logger } from './logger';
export { NOT_YET_AVAILABLE } from './routes/not-yet-available';
export { openStateStore } from './open-state-store';
