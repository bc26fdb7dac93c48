/** The JSON body of a fetch response, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs index into response bodies freely; their expectations check the shape
export const jsonOf = (response: Response): Promise<any> => response.json();
