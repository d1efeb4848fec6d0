import { loadConfigOrExit } from '../config';
import { setUpDatabase } from '../db/migrate';

/** `npm run db:setup`: creates the app database if missing and applies the migrations. */
const config = loadConfigOrExit();
setUpDatabase(config.DATABASE_URL).then(
  () => console.log(JSON.stringify({ msg: 'database ready' })),
  (err) => {
    console.error(`qbo-sync: database setup failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
