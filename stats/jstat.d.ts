// Typed subset of jStat used by modqc (the package ships no types).
declare module "jstat" {
  interface ContinuousDistribution {
    pdf(x: number, ...params: number[]): number;
    cdf(x: number, ...params: number[]): number;
    inv(p: number, ...params: number[]): number;
  }
  interface DiscreteDistribution {
    pdf(k: number, ...params: number[]): number;
    cdf(k: number, ...params: number[]): number;
  }
  const jStat: {
    normal: ContinuousDistribution;
    beta: ContinuousDistribution;
    studentt: ContinuousDistribution;
    chisquare: ContinuousDistribution;
    gamma: ContinuousDistribution;
    binomial: DiscreteDistribution;
    hypgeom: DiscreteDistribution;
    poisson: DiscreteDistribution;
    ibeta(x: number, a: number, b: number): number;
    ibetainv(p: number, a: number, b: number): number;
    gammaln(x: number): number;
    betaln(a: number, b: number): number;
    gammap(a: number, x: number): number;
    gammapinv(p: number, a: number): number;
    erf(x: number): number;
    erfc(x: number): number;
    factorialln(n: number): number;
    combinationln(n: number, k: number): number;
  };
  export default jStat;
}
