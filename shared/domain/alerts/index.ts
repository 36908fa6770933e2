export * from "./episodes";
export * from "./nab-score";
export * from "./replay";
export * from "./spike-detector";
export * from "./threshold";
