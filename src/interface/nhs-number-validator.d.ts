// nhs-number-validator ships no types. It is CommonJS, so ESM code takes it as a default import.
declare module 'nhs-number-validator' {
  const nhsNumberValidator: {
    /** True when the value is ten digits whose last is the modulus-11 check digit of the first nine. */
    validate(nhsNumber: string | number): boolean;
  };
  export = nhsNumberValidator;
}
