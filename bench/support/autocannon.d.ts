// autocannon ships no types; the benchmark uses this much of its programmatic API.
declare module "autocannon" {
  interface Result {
    "2xx": number;
    non2xx: number;
    latency: { p99: number; p50: number; average: number };
    requests: { average: number; total: number };
  }
  function autocannon(opts: Record<string, unknown>): Promise<Result>;
  export default autocannon;
}
