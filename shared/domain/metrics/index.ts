export * from "./contribution";
export * from "./survey-scores";
export * from "./contributions-of";
export * from "./rollups";
export * from "./registry";
export * from "./points";
export * from "./series";
export * from "./applied";
