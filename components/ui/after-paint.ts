/**
 * Resolves once the browser has painted the frame after the current input: a handler that starts
 * heavy work (validating and re-rendering a whole form) awaits it first, so the input's next
 * paint, what Interaction to Next Paint measures, is not held up by that work.
 */
export const afterNextPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
