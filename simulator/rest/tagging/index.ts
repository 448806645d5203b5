/** The cis tagging service under `/api/cis/tagging/*` and `/rest/com/vmware/cis/tagging/*`. */
import type { RestRoute } from '../route.js';
import { associationRoutes } from './association.js';
import { categoryRoutes } from './category.js';
import { tagRoutes } from './tag.js';

export const taggingRoutes: RestRoute[] = [...categoryRoutes, ...tagRoutes, ...associationRoutes];
