/**
 * Leases after a restart: the embedded store `npm start` opens has had no other client, so the
 * leases in its data (an earlier run's, stopped or killed) are released at start and the rollup
 * drain need not wait for them to expire; on a shared MongoDB they are kept, as another live
 * process may hold them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { leasesOf, makeLease } from "../../../shared/db/lease";
import { startMongoStandin } from "../../../shared/db/standin";
import { openStores } from "../../../shared/infra/stores";
import { testConfig } from "../../support/stores";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const log = pino({ level: "silent" });
const inAnHour = () => new Date(Date.now() + 3_600_000);

describe("leases at start", () => {
  it("are released when the embedded store starts on its data directory again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "uc-leases-"));
    dirs.push(dir);
    const config = { ...testConfig({ DATA_DIR: dir }), MONGO_URL: undefined };
    const first = await openStores(config, log, { allowEmbedded: true });
    // a drain that was running when its process died: its lease would last another hour
    await leasesOf(first.mongo.db).insertOne({ _id: "rollup-drain", holder: "killed-run", until: inAnHour() });
    await first.close();

    const again = await openStores(config, log, { allowEmbedded: true });
    try {
      expect(await leasesOf(again.mongo.db).countDocuments()).toBe(0);
      expect(await makeLease(leasesOf(again.mongo.db), "rollup-drain", 60_000, () => new Date()).acquire()).toBe(true);
    } finally {
      await again.close();
    }
  });

  it("are kept on a MongoDB other processes may share", async () => {
    const shared = await startMongoStandin({});
    try {
      const config = testConfig({ MONGO_URL: shared.uri });
      const first = await openStores(config, log, { allowEmbedded: false });
      await leasesOf(first.mongo.db).insertOne({ _id: "rollup-drain", holder: "live-worker", until: inAnHour() });
      await first.close();
      const again = await openStores(config, log, { allowEmbedded: false });
      try {
        expect(await leasesOf(again.mongo.db).findOne({ _id: "rollup-drain" })).toMatchObject({ holder: "live-worker" });
      } finally {
        await again.close();
      }
    } finally {
      await shared.close();
    }
  });
});
