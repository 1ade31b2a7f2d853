import type { OperationName } from '@installgate/contracts';
import type { OpHandler, OpTable } from '../operation';
import { installRoutes } from './installs';
import { backupRoutes } from './backups';
import { templateRoutes } from './templates';
import { userRoutes } from './users';
import { activityRoutes } from './activity';
import { notYetAvailableRoutes } from './not-yet-available';
import { browserRoutes } from './browser';
import { applicationRoutes } from './applications';
import { backupOperationRoutes } from './backup-operations';
import { cloneOperationRoutes } from './clone-operations';
import { updateOperationRoutes } from './update-operation';
import { addonOperationRoutes } from './addon-operations';

/** Every operation's handler. A duplicate registration is a programming error and stops the start. */
export function operationTable(...tables: OpTable[]): Record<OperationName, OpHandler> {
  const all: OpTable = {};
  for (const t of [installRoutes, backupRoutes, templateRoutes, userRoutes, activityRoutes, browserRoutes, applicationRoutes, backupOperationRoutes, cloneOperationRoutes, updateOperationRoutes, addonOperationRoutes, notYetAvailableRoutes, ...tables]) {
    for (const [op, h] of Object.entries(t)) {
      if (op in all) throw new Error(`operation ${op} registered twice`);
      all[op as OperationName] = h;
    }
  }
  return all as Record<OperationName, OpHandler>;
}
