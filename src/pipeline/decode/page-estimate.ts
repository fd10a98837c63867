import type { DecodedImage } from './decode.js';
import { isUnevenlyLit } from './even-light.js';
import { planStraightening, type StraightenPlan } from './straighten.js';

/**
 * What a decoded page needs before the layout can read it: straightening, evening out its light, or
 * neither (a screenshot). Plain data, so it can be worked out on another thread while the layout is found
 * on the page as decoded ({@link import('./page-estimator.js').PageEstimator}).
 */
export interface PageEstimate {
  /** Null when the page is straight already. */
  straightening: StraightenPlan | null;
  /**
   * Whether {@link import('./even-light.js').evenLight} would change the page; null when it is to be
   * straightened first (the light is then measured on the straightened raster).
   */
  unevenLight: boolean | null;
}

/** The straightening and even-light stages' estimates for a decoded page, nothing resampled. */
export function estimatePage(img: DecodedImage): PageEstimate {
  const straightening = planStraightening(img);
  return { straightening, unevenLight: straightening ? null : isUnevenlyLit(img) };
}
