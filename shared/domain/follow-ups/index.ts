export * from "./policy";
export * from "./replies";
export * from "./metrics";
