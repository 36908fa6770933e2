export * from "./model";
export * from "./spells";
export * from "./churn";
export * from "./metrics";
export * from "./drivers";
