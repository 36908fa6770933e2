export * from "./zones";
export * from "./buckets";
export * from "./utc-slots";
