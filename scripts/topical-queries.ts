/** The 20 topical queries issue 6 measured plain Lunr with; both measuring scripts use them. */
export const TOPICAL_QUERIES: readonly string[] = [
  'vision language model benchmark', 'kv cache compression', 'mixture of experts', 'diffusion transformer video generation',
  'reinforcement learning reasoning llm', 'speculative decoding', 'sparse attention long context', 'text to image',
  'multimodal agents gui', 'retrieval augmented generation', 'quantization low bit', 'state space models mamba',
  'reward model alignment', 'code generation benchmark', '3d gaussian splatting', 'chain of thought',
  'world model robotics', 'speech synthesis', 'ConvLLaVA', 'knowledge distillation small models',
];
