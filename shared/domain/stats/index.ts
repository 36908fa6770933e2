export * from "./special";
export * from "./distributions";
export * from "./tests";
export * from "./sketch";
