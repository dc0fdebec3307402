// PLACEHOLDER (being replaced by the SIMD polynomial versions): lane-wise Mathf.
@inline export function expS(x: f32): f32 { return Mathf.exp(x); }
@inline export function tanhS(x: f32): f32 { return Mathf.tanh(x); }
@inline export function sigmoidS(x: f32): f32 { return 1.0 / (1.0 + Mathf.exp(-x)); }
@inline export function expV(x: v128): v128 {
  return f32x4(expS(f32x4.extract_lane(x, 0)), expS(f32x4.extract_lane(x, 1)), expS(f32x4.extract_lane(x, 2)), expS(f32x4.extract_lane(x, 3)));
}
@inline export function tanhV(x: v128): v128 {
  return f32x4(tanhS(f32x4.extract_lane(x, 0)), tanhS(f32x4.extract_lane(x, 1)), tanhS(f32x4.extract_lane(x, 2)), tanhS(f32x4.extract_lane(x, 3)));
}
@inline export function sigmoidV(x: v128): v128 {
  return f32x4(sigmoidS(f32x4.extract_lane(x, 0)), sigmoidS(f32x4.extract_lane(x, 1)), sigmoidS(f32x4.extract_lane(x, 2)), sigmoidS(f32x4.extract_lane(x, 3)));
}
