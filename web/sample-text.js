// The built-in training text: short, public domain (nursery rhymes), with enough repetition that a
// small network learns words from it in a few epochs.
export const SAMPLE_TEXT = `twinkle, twinkle, little star, how I wonder what you are.
up above the world so high, like a diamond in the sky.
twinkle, twinkle, little star, how I wonder what you are.
the cat sat on the mat. the dog sat on the log. the cat and the dog sat in the sun.
mary had a little lamb, its fleece was white as snow,
and everywhere that mary went, the lamb was sure to go.
row, row, row your boat, gently down the stream.
merrily, merrily, merrily, merrily, life is but a dream.
the cat sat on the mat. the dog sat on the log. the cat and the dog sat in the sun.
`;
