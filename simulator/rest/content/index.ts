/** The content library service under `/api/content/*` and `/rest/com/vmware/content/*`. */
import type { RestRoute } from '../route.js';
import { downloadSessionRoutes } from './download-session.js';
import { itemRoutes } from './item.js';
import { libraryRoutes } from './library.js';
import { trustRoutes } from './trust.js';
import { updateSessionRoutes } from './update-session.js';

export const contentRoutes: RestRoute[] = [...libraryRoutes, ...itemRoutes, ...updateSessionRoutes, ...downloadSessionRoutes, ...trustRoutes];
export { contentTransferRoutes } from './transfer.js';
