export * from "./special";
export * from "./distributions";
export * from "./tests";
export * from "./sketch";
export * from "./effect-sizes";
