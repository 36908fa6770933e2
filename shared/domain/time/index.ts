export * from "./zones";
export * from "./buckets";
export * from "./utc-slots";
export * from "./time-spec";
