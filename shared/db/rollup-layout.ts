/**
 * The rollup layout a database holds, so that a drain of an older version cannot write into
 * rollups a newer version has migrated (it would add to the hours but not to what the newer
 * layout keeps beside them, and trends would silently fall short). Migrations record the layout
 * of the version that ran them; a drain refuses to start on a newer one.
 */
import type { Db } from "mongodb";

/** 1: hourly slots; 2: month documents beside them; 3: day totals (`d`) in day documents. */
export const ROLLUP_LAYOUT = 3;

const LAYOUT_ID = "rollup-layout";

interface LayoutDoc {
  _id: string;
  version: number;
}

/** Raises the recorded layout to this version's (never lowers it). */
export async function recordRollupLayout(db: Db): Promise<void> {
  await db.collection<LayoutDoc>("migrations").updateOne({ _id: LAYOUT_ID }, { $max: { version: ROLLUP_LAYOUT } }, { upsert: true });
}

/** Throws when the database's rollups were migrated by a newer version (none recorded: fine). */
export async function assertRollupLayoutKnown(db: Db): Promise<void> {
  const doc = await db.collection<LayoutDoc>("migrations").findOne({ _id: LAYOUT_ID });
  if (doc && doc.version > ROLLUP_LAYOUT) {
    throw new Error(
      `the rollups were migrated by a newer version of Undercurrent (rollup layout ${doc.version}; this process knows ${ROLLUP_LAYOUT}): this worker does not drain; stop it and start the new version`,
    );
  }
}
