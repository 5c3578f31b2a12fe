/**
 * Descriptions of papers, the way someone who remembers what a paper did (not its name)
 * would type it, for measuring search (issue 13 part 1). Figures: scripts/bench-relevance.ts.
 *
 * Picking: the 9,577 HF Daily Papers of ../shared/data/hf-daily read through the real
 * importer, sorted by id, shuffled with mulberry32(20261203) (Fisher–Yates), the first 160
 * taken with none skipped (scripts/pick-description-papers.ts repeats it). Entries are in
 * that order; they alternate between the development half ('dev', even positions) and the
 * held-out half ('held', odd positions), 80 each. Tune by hand only against 'dev'.
 *
 * Writing: one description per paper, written by hand after reading its abstract, never
 * generated. Rules: 6–14 words; the paper's problem and approach; no method, model or
 * dataset name the paper coins; at most two content words of the title (by stem, stop
 * words aside; checked by scripts/description-check.ts); lowercase; styles vary: some use
 * words the authors did not (clip for video, picture for image, splat for splatting), some
 * give the paper's numbers ("7b", "1.7m prompts", "25fps") the way a reader remembers them.
 */
export interface Description {
  id: string;
  q: string;
  half: 'dev' | 'held';
}

export const DESCRIPTION_SET: readonly Description[] = [
  { id: "2605.03849", q: "reweight rollouts and pixels by reward score when distilling autoregressive diffusion models", half: 'dev' },
  { id: "2512.23447", q: "regularizer aligning gate embeddings with specialist activations in sparse moe llms, 3b to 15b", half: 'held' },
  { id: "2407.05700", q: "code model summarizes its own snippets into instructions to self-generate training data", half: 'dev' },
  { id: "2411.04709", q: "1.7m user prompts collected for animating a still picture into a clip", half: 'held' },
  { id: "2407.15841", q: "no-training video llm with two pathways: few detailed frames and many pooled frames", half: 'dev' },
  { id: "2606.08572", q: "test whether audio-visual models obey format and content constraints when describing clips", half: 'held' },
  { id: "2510.03215", q: "llms exchange information by fusing kv states instead of talking through text", half: 'dev' },
  { id: "2512.05076", q: "video diffusion that separates scene dynamics from viewpoint with 4d positional encoding", half: 'held' },
  { id: "2411.19477", q: "generate n candidates then a knockout tournament of pairwise comparisons picks the answer", half: 'dev' },
  { id: "2409.16283", q: "robot policy conditioned on a generated clip of a person doing the task", half: 'held' },
  { id: "2606.00477", q: "whether fact updates in unified multimodal models also change their generated images", half: 'dev' },
  { id: "2506.11928", q: "contest problems from codeforces and ioi show llms fail hard algorithmic tasks", half: 'held' },
  { id: "2506.03079", q: "simulated robot grasping rendered as photorealistic clips guided by semantic voxel sequences", half: 'dev' },
  { id: "2508.20088", q: "llm plans a story into ordered events so text-to-sound diffusion stays coherent for minutes", half: 'held' },
  { id: "2605.19282", q: "fix muon optimizer for vision-language-action and rl finetuning by suppressing small singular values", half: 'dev' },
  { id: "2601.03252", q: "predict depth at any continuous pixel coordinate with a local implicit decoder", half: 'held' },
  { id: "2410.10210", q: "a small curated set of lengthy writing examples teaches chat models to write longer", half: 'dev' },
  { id: "2603.11076", q: "run real tools first and derive training tasks from their traces, qwen3 8b", half: 'held' },
  { id: "2505.22203", q: "answer checkers for math rl miss equivalent answers while llm judges can be hacked", half: 'dev' },
  { id: "2503.20822", q: "rendered cgi clips from graphics engines make generated videos obey physics better", half: 'held' },
  { id: "2505.07747", q: "open pipeline: 2m curated meshes, vae-dit geometry model then diffusion texturing", half: 'dev' },
  { id: "2412.03304", q: "translated exam benchmark needs western knowledge; 28% of questions are culture-sensitive", half: 'held' },
  { id: "2607.26115", q: "attacker agent trained against many defender models to find prompt injections", half: 'dev' },
  { id: "2607.19747", q: "evaluate retrieved passages as a whole for redundancy and conflict, not independently", half: 'held' },
  { id: "2502.16033", q: "can vision language models spot contradictions planted in webpages, slides and posters", half: 'dev' },
  { id: "2503.07703", q: "text-to-picture diffusion that renders chinese characters and understands chinese culture", half: 'held' },
  { id: "2601.10103", q: "real-time streaming avatar that reacts to users at 25fps with chunkwise diffusion forcing", half: 'dev' },
  { id: "2602.05711", q: "extremely fine-grained experts each a single vector, routed via cartesian product, 6.7ms latency", half: 'held' },
  { id: "2606.27595", q: "browsing assistants must list all members of a category and their attributes, korean language", half: 'dev' },
  { id: "2510.06217", q: "process reward model that checks table reasoning steps by running code", half: 'held' },
  { id: "2602.15989", q: "promptable single-image estimate of a person's shape and pose including hands and feet", half: 'dev' },
  { id: "2604.16593", q: "test llms on idioms, noun compounds and multiword expressions", half: 'held' },
  { id: "2606.13578", q: "robot policy that executes wet-lab experiment protocols, trained on simulated demonstrations", half: 'dev' },
  { id: "2412.02632", q: "codebook constrained to a sphere for visual tokenizer autoencoders, 16x downsampling", half: 'held' },
  { id: "2603.10444", q: "subtracting the average activation direction stabilizes 4-bit low precision pretraining", half: 'dev' },
  { id: "2607.23855", q: "one autoencoder for sound and picture latents trained with contrastive sync loss", half: 'held' },
  { id: "2505.14604", q: "teach reasoning models to stop redundant thinking on their own by trimming traces", half: 'dev' },
  { id: "2606.30017", q: "compress spherical harmonics lighting so splat rendering runs in real time on phones", half: 'held' },
  { id: "2502.16584", q: "instruction dataset of 80 speech music and sound tasks with 100m examples", half: 'dev' },
  { id: "2511.11002", q: "cartoons and movie clips labeled with feelings to condition clip synthesis on mood", half: 'held' },
  { id: "2411.18478", q: "tree search builds reusable thought templates that guide math problem solving, 79.6% on math", half: 'dev' },
  { id: "2606.16771", q: "rl with several objectives drops rollouts whose advantages disagree across scores", half: 'held' },
  { id: "2504.05304", q: "predict a multimodal velocity distribution instead of its mean for few-step image sampling", half: 'dev' },
  { id: "2504.07083", q: "transformer writes cinematic shot movements from text, trained on 29k film clips", half: 'held' },
  { id: "2602.03411", q: "reproducible recipe to fine-tune and rl a 32b coder agent fixing github issues, 61.4%", half: 'dev' },
  { id: "2407.18946", q: "unsupervised periodic latent shared by human and dog animations for motion retrieval and transfer", half: 'held' },
  { id: "2511.04570", q: "using sora-2 clip generators to solve puzzles and math problems", half: 'dev' },
  { id: "2406.08478", q: "rewriting captions of 1.3b datacomp pictures with an 8b llava improves clip and t2i", half: 'held' },
  { id: "2505.20914", q: "paste a reference item into a scene with new pose while keeping its texture", half: 'dev' },
  { id: "2410.12391", q: "sparse autoencoders show which concepts persist after domain adaptation and slerp of tiny transformers", half: 'held' },
  { id: "2605.20150", q: "stream splat parameters between ssd, cpu and gpu to fit huge scenes on 24gb", half: 'dev' },
  { id: "2410.05262", q: "1,532 user guesses from a lateral thinking soup game judge llm reasoning", half: 'held' },
  { id: "2605.27365", q: "vlm emits whole bounding rectangle in one step instead of coordinate tokens, 138m samples", half: 'dev' },
  { id: "2602.13949", q: "agent reflects on failure feedback, retries, and distills the better attempt into its policy", half: 'held' },
  { id: "2605.09433", q: "dpo for straight-path image generators that also store each sample's starting latent", half: 'dev' },
  { id: "2505.21960", q: "share unet encoder features across timesteps so a one-step student decodes in parallel", half: 'held' },
  { id: "2503.10615", q: "turn images into formal textual representations so a vlm reasons step by step", half: 'dev' },
  { id: "2410.12183", q: "distill knowledge from 11 different expert networks into clip for better recognition", half: 'held' },
  { id: "2509.24695", q: "minute-long 720p clips using linear attention with a constant-memory state, one rtx 5090", half: 'dev' },
  { id: "2512.13421", q: "high-dimensional visual tokenizer gets semantics by distilling foundation features into the noising trajectory", half: 'held' },
  { id: "2506.07463", q: "35tb chinese and english corpus with model-based quality filtering and extracted chain-of-thought templates", half: 'dev' },
  { id: "2605.09015", q: "continued pretraining of a 3b qwen on a minority italian island tongue with rslora", half: 'held' },
  { id: "2508.10830", q: "review of deep learning methods for the cocktail party problem of isolating speakers", half: 'dev' },
  { id: "2408.02622", q: "full duplex spoken dialogue model that can be interrupted while it talks", half: 'held' },
  { id: "2510.11391", q: "scoring professional layout and formatting of generated reports, 117k paired files", half: 'dev' },
  { id: "2604.02268", q: "gradually remove procedure documents from the prompt during rl so agents learn them", half: 'held' },
  { id: "2512.10398", q: "coding assistant sdk with hierarchical working memory and persistent notes for huge repositories", half: 'dev' },
  { id: "2502.17435", q: "estimate scene illumination by inpainting a calibration chart with an image diffusion model", half: 'held' },
  { id: "2505.13559", q: "summarizing conversations that mix mandarin, tamil or malay with english into english", half: 'dev' },
  { id: "2410.13198", q: "llm rewrites speech recognition transcripts, trained on tts-simulated mistakes plus entity lookup", half: 'held' },
  { id: "2508.00265", q: "review of masking objects in images, video and 3d from text or spoken expressions", half: 'dev' },
  { id: "2505.16048", q: "llms predict topology optimization layouts under loads and supports in 2d grids", half: 'held' },
  { id: "2505.09694", q: "benchmark for text-to-video robot simulators checking consistency and action correctness", half: 'dev' },
  { id: "2605.08614", q: "multiple choice test of whether llms suggest repair steps when sensor alarms fire", half: 'held' },
  { id: "2607.02269", q: "spatio-temporal localization in clips from surgery, sports, animal and security, adaptation test", half: 'dev' },
  { id: "2508.06471", q: "open 355b moe with 32b active params, hybrid thinking mode, 23t training tokens", half: 'held' },
  { id: "2607.03936", q: "make a model produce regional arabic varieties instead of msa with activation steering vectors", half: 'dev' },
  { id: "2602.11715", q: "non-autoregressive text denoising llm trained with rl to write gpu kernels", half: 'held' },
  { id: "2509.25397", q: "interviews with developers of 14 public llms about how they work together", half: 'dev' },
  { id: "2505.02707", q: "full-duplex spoken assistant with 195 ms latency and text-defined speaker personas", half: 'held' },
];
