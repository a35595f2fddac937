/** Applies migrations and seeds the demo into an empty database. Used by `npm run dev`. */
import { getDatabase, prepareDatabase } from '../lib/server/db/client.ts';
import { printDemoLogins, seedDemoIfEmpty } from '../lib/server/demo/seed.ts';

const database = getDatabase();
await prepareDatabase(database);
const seeded = process.env.YISHI_DEMO === '0' ? null : await seedDemoIfEmpty(database);
if (seeded) printDemoLogins(seeded, 'http://127.0.0.1:5173');
database.close();
